B features.7.block.1.1.weight_gradJ€OWÏ¹6¿€ÖüÕTC¿ù>k|P¿¼yVèÌB¿Î±7ß\C¿í/\\&Þ2¿H^Ê%(5E?õŽ¶	?6zGDx·ú¾Iw¶·’+¿Có_Ñ¿Ê
7€¦rO¿Ök'Ÿÿ4¿Œù¦è’¿J?¾çôÑí\?÷Ã D?