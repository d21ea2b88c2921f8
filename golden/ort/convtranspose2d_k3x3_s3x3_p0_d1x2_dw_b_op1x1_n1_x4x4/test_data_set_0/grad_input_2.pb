
BB_gradJ{*A0ë|Àª.^ÀÈåÁo±?gAA