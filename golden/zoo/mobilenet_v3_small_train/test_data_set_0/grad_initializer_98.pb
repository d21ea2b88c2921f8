Bfeatures.7.block.0.1.bias_gradJ@€§9nŸã9
w½¹ğ!è·|Ì‘:Ù“9:Y„:ÀE7¿±³:rºX¡¹;Ğ¹5Ù 9vßºpEºp=i¸