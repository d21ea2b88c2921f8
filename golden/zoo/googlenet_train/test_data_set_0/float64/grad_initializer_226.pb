B"inception5a.branch1.bn.weight_gradJ€L ÃéÕúH?ýþ¹‡¿c«Œ…Nš¿üâD©¹?ú%ÀCÉ4’?ØíãjF’¿Ê¨mC²€¿bJìpƒr–¿)z"
å¡¿“Ù°G€ž¿uïð0€{“¿i5WÝåy¥¿™ÅØtk%©?g
n½ìn ? AQÀx¢¿¯06qõ”?