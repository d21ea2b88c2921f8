Bstage3.5.branch2.4.bias_gradJ@œ%8†¦Ş8ö9¤‘Ø¸v
8@<·PÉ¯¸În@9@¸u·ô8Î8ºÄ¸H·q¸NM8àyG¸y¸:‡¤8