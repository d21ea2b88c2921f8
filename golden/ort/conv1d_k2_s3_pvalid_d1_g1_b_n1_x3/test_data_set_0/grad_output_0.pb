
BY_gradJ˜çW¾tÓø>@¿w½h›ü¾