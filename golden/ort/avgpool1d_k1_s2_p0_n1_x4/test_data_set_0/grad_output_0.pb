
BY_gradJ©>¤#À¾dn4¿ØT¾