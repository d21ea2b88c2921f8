
BB_gradJpÆj?à>í>$Kþ>ÀÆ>