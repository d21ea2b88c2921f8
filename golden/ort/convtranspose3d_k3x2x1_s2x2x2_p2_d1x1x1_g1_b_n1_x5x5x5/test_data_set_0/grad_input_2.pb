
BB_gradJ1Û¤A.W¿@QÇÁž«oA