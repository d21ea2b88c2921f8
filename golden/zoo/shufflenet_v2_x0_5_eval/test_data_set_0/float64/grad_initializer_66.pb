Bstage2.3.branch2.4.weight_gradJ@Ó	w‘­èÇ>·ËÀÙÙ¢Ø>Yæ*9¦­>œÁ
F×“Ï¾½ø¯Òq¾>Úi<ø³Õ¾?|H†±á>¬°w·¤>