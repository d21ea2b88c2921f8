B
scale_gradJÇ ¿Ø@b¿