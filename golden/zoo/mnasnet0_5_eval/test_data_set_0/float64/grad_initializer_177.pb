Blayers.11.1.layers.7.bias_gradJ€øSt2ñj<¿Bhäû£¿„xRéÄ/¿÷ä¡$=Z?¸ù¬ÆŸìR?ûÿ¿Y?¼ı¯úÂf5?±X_	V]1¿eü*ÆL?*fñµ×B?Ğ[¢Y¿¸*DøHW¿œÂ<C˜»ÿ¾.Ë?°
S¿¨ğoÄ:P?W3 Èò`I¿