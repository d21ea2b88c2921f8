
BB_gradJЭeAЎомїђБ“sѕА