
BY_gradJ˜'­¾FP?°?:L?