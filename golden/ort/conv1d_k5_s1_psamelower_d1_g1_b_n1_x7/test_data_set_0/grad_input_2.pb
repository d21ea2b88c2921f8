
BB_gradJ8¹Z?Dõ´¿¸›¾ÜI§?