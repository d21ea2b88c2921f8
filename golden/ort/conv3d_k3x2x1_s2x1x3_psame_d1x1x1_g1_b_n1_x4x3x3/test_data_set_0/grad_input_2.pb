
BB_gradJ¨bN¾2>À'–×?