
BBJö¼H>™id½‡×p¾¿”wT¿KØo?