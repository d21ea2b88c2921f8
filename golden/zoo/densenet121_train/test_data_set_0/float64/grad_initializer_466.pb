B0features.denseblock4.denselayer3.norm2.bias_gradJ =æöQàe8?ã2SË®0¿½KÚ4'¿®/
K¤U	?