
BY_gradJZX¿l“?˜éŠ>ª>K?ÈLE¿