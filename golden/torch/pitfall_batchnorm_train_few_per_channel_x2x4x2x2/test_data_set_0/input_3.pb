B
input_meanJªÖÀ{•¿»HŸ¾J‰ê¾