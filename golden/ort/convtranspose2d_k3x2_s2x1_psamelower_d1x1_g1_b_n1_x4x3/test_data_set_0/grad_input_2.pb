
BB_gradJ¾Àÿuj@óú’À®gÀ