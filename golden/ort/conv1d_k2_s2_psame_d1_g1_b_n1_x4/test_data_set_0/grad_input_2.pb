
BB_gradJœ_B?Ü-¿gï>G7Œ?