
BY_gradJ0¤üŒ¾öA¿jÈh?bW?xj¿nFl¿ ’¿°7r¾pá=4>Pû~¿˜¾6>