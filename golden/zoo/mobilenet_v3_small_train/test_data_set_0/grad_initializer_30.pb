B features.3.block.0.1.weight_gradJ "õt;:¹
»Õœº’›»4´æ:²ì&»ˆ0(»(ë5;