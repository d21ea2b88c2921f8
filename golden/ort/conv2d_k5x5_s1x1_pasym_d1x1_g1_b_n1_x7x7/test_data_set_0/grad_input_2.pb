
BB_gradJì©À7Ç-ÀDaÀ®>Q@