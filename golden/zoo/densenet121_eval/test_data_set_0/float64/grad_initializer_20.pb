B2features.denseblock1.denselayer2.norm2.weight_gradJ ¥••ë
l?Ç‘{d¿^hT~™T?g¢”öÅ»—?