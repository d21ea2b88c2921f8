Bfeatures.2.block.0.1.bias_gradJ@Œ‡Í¹õ¬a?üÉ²òí^?¥+‰Te›z?|ÂÒ¸<p?Àuñã;?S6ı.ƒ¿†z6wa¨`?„
ƒ7Ğ`¿