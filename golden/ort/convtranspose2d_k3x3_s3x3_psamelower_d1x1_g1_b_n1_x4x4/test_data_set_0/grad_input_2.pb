
BB_gradJÕ¤LÁXˆ4AdÔ+ÁFú^À