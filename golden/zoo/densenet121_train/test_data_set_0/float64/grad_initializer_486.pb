B0features.denseblock4.denselayer5.norm2.bias_gradJ `Ìeş<”¾¯¿gÊPÀ>fè—•Eu˜>¡*p¥
Á>