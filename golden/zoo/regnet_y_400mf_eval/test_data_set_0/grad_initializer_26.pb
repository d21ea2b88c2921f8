B,trunk_output.block1.block1-0.f.c.1.bias_gradJ .
½Ø¦ºê8ìº<2º:>7ºÈ˜¼<ÇßM<Fdè¼