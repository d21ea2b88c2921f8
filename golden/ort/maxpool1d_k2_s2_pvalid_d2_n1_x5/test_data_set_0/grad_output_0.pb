
BY_gradJ"?h G¾ Ï“½p«>