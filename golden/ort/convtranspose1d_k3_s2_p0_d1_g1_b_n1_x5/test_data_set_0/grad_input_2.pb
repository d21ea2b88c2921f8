
BB_gradJעפQ@7פה?,טIְ)R‚?