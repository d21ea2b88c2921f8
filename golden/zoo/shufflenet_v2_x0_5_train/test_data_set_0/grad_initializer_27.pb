Bstage2.0.branch2.6.bias_gradJ 	s
AnAéÜÀŞnØ@vnÁ(0fÁ€O`¾jj;A