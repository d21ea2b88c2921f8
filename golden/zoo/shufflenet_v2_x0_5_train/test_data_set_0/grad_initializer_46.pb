Bstage2.2.branch2.1.weight_gradJ ©›%¿(Ã½žÀ»„8u?ã"Ù=É¨Ào
‘»¹.°>