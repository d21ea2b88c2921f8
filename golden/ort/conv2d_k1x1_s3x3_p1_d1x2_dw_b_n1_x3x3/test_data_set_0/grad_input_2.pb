
BB_gradJ‚ À¿pçc>äbŠ>¬ðœ¿F×¿ mÚ=