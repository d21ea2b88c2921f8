B features.1.block.0.1.weight_gradJ ™r<z($;‹þ¸ ¤Ó;|´A¼
¶Õ9UJÄºiK+¼