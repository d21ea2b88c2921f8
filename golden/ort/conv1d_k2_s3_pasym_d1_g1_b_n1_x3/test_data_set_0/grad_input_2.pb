
BB_gradJFÀ?@¶y> œ¾¾¨RÍ¾