Bfeatures.8.conv.3.weight_gradJ@≈ôß]x°Ó>:{†‰5
?Ê˛,üæ?ú√ƒÓÑU·æG¯ÛL·æÙnL	⁄€>Üo∆æl ë’—!?