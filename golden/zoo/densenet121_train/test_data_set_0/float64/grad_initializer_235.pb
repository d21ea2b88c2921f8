B2features.denseblock3.denselayer5.norm1.weight_gradJÈÑ½^Ý–?Ý‡q~•Ú±¿2yKï†¿i>6’h¯?c_½)6o”?R?D¨Á›?ádºÊÖ?3jmöÜS¥?w";VÊHa?ÎQ šü˜?Ç»©¨ÇÇy¿r‚ÁOf‘?
7ˆÈ”n?¶Ÿ7ÓÊúx¿qÉ ·AÝ§?–^0©˜¿UÓöËQŠ¿ê¶Õ«Sž¿5dÑOœF§?ú'ûè•¡¿*þèƒµ¿3
Æ¡xŠ?§	­Ú3Ý?	*©¾È¿Q§Êqfmc?