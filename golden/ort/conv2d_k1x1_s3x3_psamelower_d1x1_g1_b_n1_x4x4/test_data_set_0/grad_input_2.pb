
BB_gradJÀƒã¼e‰ò?p@ío•?