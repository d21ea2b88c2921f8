
BB_gradJEó@H®Ó¿(þ{@­yA