B"inception4c.branch2.0.bn.bias_gradJ@£ã€?ÖÌ¿ºé~C!ªÁ¿–-a¶Ï´?OæCu¯´?~ñYeé¼¿“Ã¹Ş¿°áïí\ â?
ïsÈ)
·¿