
BY_gradJ$°®¾ÀÛÙ=.xI¿ÎP¿NWR? oç¾