
B$inception5a.branch2.0.bn.weight_gradJPÝlñ•ÃÅš?Em¬é
ÈÃ?cú¿ëô$®¿è°·nà¨™¿ ªÔYš?óH’Æ¨B©¿”°¿¾Å­¿Ã°¸n=À?k9>Ÿ³°°¿¸[¸m”?