B"features.2.1.block.3.1.weight_gradJ@<ùó@ËÍÍsò¿eëø’ÏW°¿1M­uã?ûÕ˜`
æ¿
¡„\•”ù?¸€ÉäŠ´?c­»üüõ?