
BB_gradJg Æ¿ƒd©Àkg”¿°À