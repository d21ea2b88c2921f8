Bstage2.1.branch2.6.bias_gradJ 7y˜@ìö@'uAÈ×&ABeÁtAPk.¿
PÌÀ