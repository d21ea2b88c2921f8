B$inception5b.branch3.0.bn.weight_gradJ=‡9§¿‘,keC@³?«
#8SÀ?