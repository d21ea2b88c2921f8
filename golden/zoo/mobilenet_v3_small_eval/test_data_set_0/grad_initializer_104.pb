B features.7.block.3.1.weight_gradJ ¡Ü40‰5õ¾Ñ¶`-­¶©6¶d«´dÁà³
T&¶