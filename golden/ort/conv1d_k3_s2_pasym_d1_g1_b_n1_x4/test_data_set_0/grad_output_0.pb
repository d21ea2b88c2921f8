
BY_gradJ tiI¿¸_8?ÄŸ<?jØZ¿€ÛP¾ ÁC¾,Næ¾(‘g>