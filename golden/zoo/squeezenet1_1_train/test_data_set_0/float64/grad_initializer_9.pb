Bfeatures.4.squeeze.bias_gradJ#AÉG
l‚¿Už­–<¡?