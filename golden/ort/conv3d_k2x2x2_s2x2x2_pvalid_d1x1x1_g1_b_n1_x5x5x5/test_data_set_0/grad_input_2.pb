
BB_gradJÀ­¿=D@”E?@b¾