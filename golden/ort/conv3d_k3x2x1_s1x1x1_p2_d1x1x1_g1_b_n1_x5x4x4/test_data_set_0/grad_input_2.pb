
BB_gradJ§dy@B½/AêŸWÁRñDA