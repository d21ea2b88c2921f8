
BB_gradJО[rАл§?хђRА9MҐ?