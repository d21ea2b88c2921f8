
BY_gradJĞY®¾bÍ	?H}B¾ÆC}¿PpÂ=Ôeˆ¾