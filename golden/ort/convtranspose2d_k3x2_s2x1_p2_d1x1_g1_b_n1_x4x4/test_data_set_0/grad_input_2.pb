
BB_gradJ<Aï¿Ët±¿¿Ù€¿J3À