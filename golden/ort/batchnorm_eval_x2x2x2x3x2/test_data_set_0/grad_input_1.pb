
B
scale_gradJÇ ¿∞@b¿