B0features.denseblock2.denselayer2.norm1.bias_gradJ0Πο
>ΣEΎhƒ=zδ‚>π•½ή\Ύa¶n>ΦΏΨUc?HΏB›β<h>