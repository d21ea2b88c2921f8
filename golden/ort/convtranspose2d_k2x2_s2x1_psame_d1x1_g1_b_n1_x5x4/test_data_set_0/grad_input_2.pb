
BB_gradJVk^@¢Ö@e½>r•À