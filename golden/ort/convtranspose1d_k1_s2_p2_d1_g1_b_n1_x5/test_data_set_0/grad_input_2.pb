
BB_gradJú2V?âë?mŠ,@šO´?