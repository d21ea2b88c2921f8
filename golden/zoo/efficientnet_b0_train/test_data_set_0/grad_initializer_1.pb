Bfeatures.0.1.weight_gradJ šµ¥¾ÒÔ¾4¬OÀÒ\?Š­×=´ñ??é©Ç¾Ó
<?