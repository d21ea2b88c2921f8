Blayer1.1.bn2.bias_gradJ œÎ,h¬Z²¿ÖØï{À¿
€ò·ºG±?IDYöƒ•Ô¿