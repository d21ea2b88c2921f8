
Bclassifier.bias_gradJ(~¤.?äÛÕ¿HIœ¾Æ8¿Ü‰ë¾h-±¾ ÷"¾0jÇ½à°‡=À-Y=