
BB_gradJ°°‚¿äsÂ>öat?º¤º¿*‡2¿xs	¾