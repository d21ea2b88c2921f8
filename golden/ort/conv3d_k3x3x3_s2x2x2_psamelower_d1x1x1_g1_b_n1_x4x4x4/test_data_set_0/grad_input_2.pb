
BB_gradJК}А„Jфїън0?