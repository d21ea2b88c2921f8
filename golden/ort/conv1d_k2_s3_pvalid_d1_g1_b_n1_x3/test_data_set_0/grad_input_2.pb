
BB_gradJ˜çW¾tÓø>@¿w½h›ü¾