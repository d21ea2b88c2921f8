
BB_gradJ‰ì	À*d@5î¹@Btº@CÅ´@zD?