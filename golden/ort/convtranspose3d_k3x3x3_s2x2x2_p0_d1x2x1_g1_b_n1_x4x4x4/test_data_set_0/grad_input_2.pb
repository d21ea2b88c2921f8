
BB_gradJЗuадLAк>б