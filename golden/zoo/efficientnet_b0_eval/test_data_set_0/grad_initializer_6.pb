B"features.1.0.block.0.1.weight_gradJ +®Ò± M6ïÛ³XU5ş‰—3šÓ
µ‡*µ·Ö²