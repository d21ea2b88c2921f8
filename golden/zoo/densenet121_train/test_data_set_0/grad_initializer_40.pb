B2features.denseblock1.denselayer4.norm2.weight_gradJD
¼q)§>ž¬ˆ¾üÅ~¾