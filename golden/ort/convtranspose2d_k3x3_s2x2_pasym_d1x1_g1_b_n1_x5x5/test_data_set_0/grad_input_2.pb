
BB_gradJn÷C@²¡€ÁöV²@ükÀ