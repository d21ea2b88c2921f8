Bfeatures.7.conv.3.weight_gradJ Ã{@ğ
@˜ûF?®Ò1@M‹Ğ¿4»Àˆ«·¿:ÿX@