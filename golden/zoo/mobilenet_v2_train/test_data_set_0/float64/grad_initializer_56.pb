Bfeatures.4.conv.3.weight_gradJ 6ñ§Êdú¿‹?NÀ¥
`	£ş¿M¹m`Ã¹û?