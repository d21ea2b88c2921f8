
BB_gradJï–Àh6ô¿ÓU¦¿óGïÀ