B3features.denseblock4.denselayer12.norm2.weight_gradJ ²GöĞX¿
¤`Yæó_?d:]?rœ L)çh¿