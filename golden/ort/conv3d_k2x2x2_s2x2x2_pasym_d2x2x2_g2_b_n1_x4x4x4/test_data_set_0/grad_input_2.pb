
BB_gradJCI@L)>@4*Ñ>Ìf¤¾