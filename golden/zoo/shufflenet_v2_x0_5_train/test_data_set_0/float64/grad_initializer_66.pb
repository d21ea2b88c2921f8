Bstage2.3.branch2.4.weight_gradJ@‚6ØÔ#@¥j¡6„Ç	Àr¨×´/&¹?uáf&eÀG^ã;QÀµ«³ºLgþ?@‚#m
0@Ïï@1I À