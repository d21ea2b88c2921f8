B2features.denseblock3.denselayer2.norm1.weight_gradJLGO>7¼w4=i)V¼êgÃ¼S¿Ê¼aû‚½|ˆg<:¬=p#3=OÀŽ½ç»½
#8½¨4ÿ=YŠI= ½Úƒ­»ÆS>½