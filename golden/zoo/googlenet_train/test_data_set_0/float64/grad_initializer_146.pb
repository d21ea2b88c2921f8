B$inception4c.branch2.1.bn.weight_gradJ€ÿ[Ì{öÒ¿|¨´Îz?ËÑcÈp³¿^ÜÔl€S­?åŠÑŽ±Í?ÚYjEºHÄ?Ú¥Ò®H€º?`Dü	D¹?wã~bÄ¿™¾V4Ô¿VÇ¥Çº
«?oÉV,9Æ¿[ÜBFþ–¿Ï¯¶úPÁ¿e=ÉBÚ¿_XÀn„gª¿