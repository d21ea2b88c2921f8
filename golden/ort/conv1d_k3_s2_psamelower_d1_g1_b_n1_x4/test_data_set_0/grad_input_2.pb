
BB_gradJh?J¾ju?dÂ¾&]¿