B$inception5b.branch2.0.bn.weight_gradJ0À*ê;k!½9
÷=~À¯<*èÄ<ÖªS<a7ª½Ÿ@½[•ð¼$ÔÓ¼CC<€»