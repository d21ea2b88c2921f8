
BB_gradJ‘¿àK4ÀœO´À$yTÀ