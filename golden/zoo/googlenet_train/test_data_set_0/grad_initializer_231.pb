
B$inception5a.branch2.0.bn.weight_gradJ(ﬂ?÷<±J>P5qΩπRÕºø»“<∂JΩ<5nΩgÛ>”èÖΩ+w£<