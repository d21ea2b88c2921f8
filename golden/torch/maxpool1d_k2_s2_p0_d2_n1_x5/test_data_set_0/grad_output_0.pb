BY_gradJL¤
¿NˆU¿¬½º>_ >