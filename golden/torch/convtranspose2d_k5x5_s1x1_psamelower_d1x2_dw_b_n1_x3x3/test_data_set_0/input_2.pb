BBJÊxÓ½qÁz?Êó>eQ@£G
¾ØsÞ>