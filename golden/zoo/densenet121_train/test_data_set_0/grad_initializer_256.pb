B0features.denseblock3.denselayer7.norm1.bias_gradJt˜K‡=zõŒ½
İŒ½~Dš<äÎª¼*0¼Ğƒ‘ºq¦;ãHt=C¿Ô½Ã"=À¬†½Ò8$=Ö¨">³Œô<Lœ½Da½~Ò<Ì=€=Ù;âÊˆ½¸yÓ¼òĞ"½»˜!½øŞ¼<”Ş`½%D»€Æ*;ÖÃÍ»