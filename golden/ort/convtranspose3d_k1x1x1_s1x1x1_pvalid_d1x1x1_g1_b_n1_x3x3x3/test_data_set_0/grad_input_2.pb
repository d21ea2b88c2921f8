
BB_gradJ2_–@Ð/ò>mªn@