
BX_gradJ@A ¾A ¾A ¾LRÁ=LRÁ=LRÁ=LRÁ=ò=¿+OH>+OH>+OH>†´!>†´!>†´!>†´!>J¿$¿