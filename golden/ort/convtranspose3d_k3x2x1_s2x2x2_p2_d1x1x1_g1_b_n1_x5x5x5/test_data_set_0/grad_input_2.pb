
BB_gradJ1Û¤A.W¿@QÇÁ