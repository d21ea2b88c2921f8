
B0features.denseblock1.denselayer2.norm1.bias_gradJPV½Ò$„PÎ?J/ª¢á™È?˜x‚ä˜³Ø¿¤àh·İı¤?0#ˆR…?’]‡îğÖ?ş
½\+9Û?ºê1]Neá¿*ì‚2öæ¿@ÃÚıÀ‘¿