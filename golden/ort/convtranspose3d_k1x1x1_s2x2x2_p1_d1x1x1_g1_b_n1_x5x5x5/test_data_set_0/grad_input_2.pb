
BB_gradJ^*p@fôøÀÂW‹AéuA