B features.3.block.1.1.weight_gradJ 
7ºyyY»'È‰»Ç7è¹]ƒ¹†‰»Ùa½;)4–º