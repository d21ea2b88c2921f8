B features.7.block.3.1.weight_gradJ  éˆ:^+‚9Š×;p©º÷›o8LÁr9Î¬†ºs
;