
BY_gradJÂw?FÍ¾¢‘	¿2ÂE¿