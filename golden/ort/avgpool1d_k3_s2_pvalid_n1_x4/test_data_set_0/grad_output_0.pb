
BY_gradJÈ·b¿xÏ¯¾