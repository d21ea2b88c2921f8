B3features.denseblock3.denselayer12.norm2.weight_gradJ¶s>f
>zI€¾ßHŠ»