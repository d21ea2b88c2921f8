
BB_gradJª¨"@¹ú.ÀRª¿nZ @