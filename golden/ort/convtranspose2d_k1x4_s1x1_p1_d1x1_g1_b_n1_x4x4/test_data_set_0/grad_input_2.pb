
BB_gradJNå?F»q?ÿ]Ó¿Ô¤?