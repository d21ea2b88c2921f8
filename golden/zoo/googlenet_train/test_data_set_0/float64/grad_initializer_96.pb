B$inception4a.branch3.1.bn.weight_gradJ·
#@àØ?1Y`ûôÀÍ¿áovnÏä?