Bstage2.0.branch2.4.bias_gradJ j@
¸]£Z¸Ç„¸–•.¸€#M8068 Ø7-)É7