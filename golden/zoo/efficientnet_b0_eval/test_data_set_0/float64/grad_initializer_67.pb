B"features.3.0.block.3.1.weight_gradJ@‘nÂOÖ?z™ºœ{¿.ê
—Xö¾æè¶tÓ˜À¾QÇé±oÞÐ>g=©)G*#¿ËÇD•Ñ>ŠþüÎý¿