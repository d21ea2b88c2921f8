
BB_gradJLuÀ·eÀ÷]ÜÀåöFA