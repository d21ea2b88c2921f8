
BY_gradJ ¬Ô?ðus?HOW>&Õ7¿_–>V‡t?’u=¿ø‘µ>