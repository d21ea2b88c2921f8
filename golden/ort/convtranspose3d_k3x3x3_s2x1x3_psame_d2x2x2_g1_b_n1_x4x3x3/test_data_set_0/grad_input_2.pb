
BB_gradJ ´Ç>‘ÀæÀÐE…¿