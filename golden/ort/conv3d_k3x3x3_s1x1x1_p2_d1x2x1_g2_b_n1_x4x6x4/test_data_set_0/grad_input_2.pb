
BB_gradJ„‚âÀHEgÀ¨ÅƒÀp¶ü¿