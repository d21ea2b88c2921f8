
BB_gradJè…V¿„Æ>XN^¾<ÆÕ>