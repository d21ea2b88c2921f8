
BY_gradJHŞÔ¾¨6?šVu?<
¿æd¿ˆLx>