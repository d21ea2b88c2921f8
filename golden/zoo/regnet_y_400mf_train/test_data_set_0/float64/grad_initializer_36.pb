B,trunk_output.block1.block1-1.f.b.1.bias_gradJ@ôL*H¼é?aqşonâ¿¬ÎJÉº¿z¡5a¸Ş¿È¹!ÌÆ³?›Ó°•ä?Ğ®=ä6®¿
üˆ­ò?