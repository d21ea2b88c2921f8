
B0features.denseblock2.denselayer1.norm1.bias_gradJP`Pİqã¢¿HNUIÅ¸¿j¦~šå#©¿²¤´¾¹S³¿ìVp«Q¹?¾\%œW]Ú¿ˆÏYc›±?ÌRùUámÆ¿†Qq6g"¸?ÿ4ÁmÃ¿