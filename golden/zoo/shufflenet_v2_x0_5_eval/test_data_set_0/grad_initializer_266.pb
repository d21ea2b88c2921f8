 Bstage4.3.branch2.4.weight_gradJ€ÄRyºyVy;É•¼m~c:ÈÒ:;¾w’ºc5M¹b-»»Ï»	^õ¸ğFä9ùœ°¹»™”»hu¼„È9‰²L:5§ç:w§;KlK¹«¸Vºf <<›<Ñ?;nX;§;9ªˆ¹Äo<»¯PãºD’Ò:HDÄ»N¤
:ÿk³9