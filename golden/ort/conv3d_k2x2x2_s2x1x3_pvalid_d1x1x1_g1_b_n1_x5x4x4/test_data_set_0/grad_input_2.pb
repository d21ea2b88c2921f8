
BB_gradJNal¿ô<K?Íoã¿v¿