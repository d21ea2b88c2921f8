
BY_gradJ(~(>b˜y¿28w?X@Ä¾