
BB_gradJÎH™¿ämÆ¾J?¿~ÆÀ