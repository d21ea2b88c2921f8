
BW_gradJ…ªŽ?øcd¿FœÏ¿š5‹¾”QZ¿Àsp=