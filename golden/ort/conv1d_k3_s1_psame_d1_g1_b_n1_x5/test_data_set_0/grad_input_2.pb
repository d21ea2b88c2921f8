
BB_gradJpL¡?°Aš?`®I¾¶Ž¿