B2features.denseblock3.denselayer2.norm2.weight_gradJ$«f;
œï=EoÕ<Ki[¼