
BB_gradJ“≠∑¡@Nø]â?Cn¿