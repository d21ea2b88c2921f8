BW_gradJ ®šm8S'ÀBB<yp¶&@`W"¹Ÿÿõ¿êþk
ˆw+@