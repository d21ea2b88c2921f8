
BB_gradJÜ¦¤?³3ˆ¿jYb?F@