
BY_gradJÂ¤¿h¤Ã¾¦"T¿|f¿