
BB_gradJæ
¿ûRhÀQÀp`Ğ¾