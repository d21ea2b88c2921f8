
BB_gradJ@ÅäÁè©cÁÄòÀVm£A