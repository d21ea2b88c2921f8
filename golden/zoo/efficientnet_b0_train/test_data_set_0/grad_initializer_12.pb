B$features.1.0.block.1.fc2.weight_gradJ@8¾s·«»ø£ï¼¸^¦¼øw‡½ñÙ»`RB=;ÒÅ=_Ì&¾@e*½¹-&??æÖ=œ
j=iË=ÏJ­¾äËó»