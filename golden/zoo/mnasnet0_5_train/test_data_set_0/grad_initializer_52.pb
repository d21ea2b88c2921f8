Blayers.8.2.layers.4.bias_gradJ`ÚÒ¦¿0d?ˆÄß?<d
?¼dq¿îmZ@™jóÀWBü¿ôw	AÄl@ü“t@-I–¿TÖqÀ%}ñ¿à’›ÀÇ©@n"@@>ß½¾²@äĞë¾ŸËÀrq%@ã¡@Ø€@