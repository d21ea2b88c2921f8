B0features.denseblock1.denselayer3.norm1.bias_gradJ`Ò
Pÿ[Ù?LŞ­­	—Ú?**êwCå?|¯-5OÕÄ¿ÀµE®_±Ä?À$Ï$c•Ë?ÖQL†c<Ë¿HÜĞ¿µÃ¿eK-ê`Íâ?Dıôvr	ª¿^?šb†šÆ¿:^?Â¿+ß?