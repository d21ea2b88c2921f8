
BB_gradJÜğ‚ÀZ	‰ÀŒ¯	A´l¾