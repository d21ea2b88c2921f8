
BY_gradJ &"¿dÆ¾8y³¾8Ž½¾XbÀ>¶±K?pÆ˜>p€?>