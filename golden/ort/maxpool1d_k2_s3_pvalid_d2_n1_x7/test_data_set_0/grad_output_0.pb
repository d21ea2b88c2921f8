
BY_gradJ˜	B? 1‚=”k€¾@k=