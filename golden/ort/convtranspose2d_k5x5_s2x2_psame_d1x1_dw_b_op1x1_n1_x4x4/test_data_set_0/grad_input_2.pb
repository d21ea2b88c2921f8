
BB_gradJ©wk@ÀÆŽ>gË@øˆ?‘±y@Ð®i>