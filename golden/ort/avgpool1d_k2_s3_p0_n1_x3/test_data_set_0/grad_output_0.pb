
BY_gradJp˜¹=¦VT¿