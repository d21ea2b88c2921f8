
BB_gradJÆ—Ü@oﬂHA®!5ø=«¿