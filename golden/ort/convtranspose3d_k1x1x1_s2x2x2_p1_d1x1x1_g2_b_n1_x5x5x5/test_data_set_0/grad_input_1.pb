
BW_gradJÿ¶<@HuŠÀ¿PW@ôÓ#@