
B"inception4e.branch2.0.bn.bias_gradJP}GÄ#Â¿RíöŒ*Tµ¿6¥ÜdŞ¿”Ë è$Ö?ĞÑøë*¸¦?²ªŞq–gÄ¿FÌÍÿG’?w¾É‹¹MÇ¿š‡Ù„[â?°§w|°Æ?