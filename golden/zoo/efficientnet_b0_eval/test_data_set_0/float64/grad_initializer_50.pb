B"features.2.1.block.3.1.weight_gradJ@Ğõ«<KÕ…>jtNi^ÓŞ¾oêI ?aÄ>
÷ÿSeÄ¾hDå°>1ßŠ‡Çº>M;&¢2­Ğ¾±3øŠ]Qï¾