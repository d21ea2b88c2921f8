
BB_gradJ¶™ŸÀSiµ@ŽÄ©A8Ò>Á