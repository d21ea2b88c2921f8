
BY_gradJ p¿¾ZGP?Vru¿taä>V,> A¹¾0~‡=X4O¿