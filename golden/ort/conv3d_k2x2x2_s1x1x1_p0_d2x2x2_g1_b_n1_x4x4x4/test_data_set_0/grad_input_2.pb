
BB_gradJ@VÛ<ˆiÀp‰>