
BB_gradJx¯@çì¿Á)M@ÀGÀ