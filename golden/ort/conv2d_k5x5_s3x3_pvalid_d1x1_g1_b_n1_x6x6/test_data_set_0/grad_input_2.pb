
BB_gradJÂw?FÍ¾¢‘	¿2ÂE¿