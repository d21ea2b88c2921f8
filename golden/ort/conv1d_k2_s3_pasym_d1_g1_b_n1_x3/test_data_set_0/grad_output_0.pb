
BY_gradJFÀ?@¶y> œ¾¾¨RÍ¾