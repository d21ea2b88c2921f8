
BB_gradJjÕŞÀfµ@IÊ¹¿š ©À