
BB_gradJæ û@’v¬A×sœA˜~4@