Bstage3.3.branch2.4.bias_gradJ€hÉN:E?ÿ«Ô e)q?¿‡ÂQ}b¿”7¯•ÄEd?b¬µ¤$ÛU?”­w<Ág¿ì›8Æ¼©b?.yÑ&hr?³^Ç	b¿Byl½P7p¿::‚~•Æ[¿%ÕÇºvE?t’Ž5
xp?^ïö­eæj?ØÖÅ©s<¿œý£ð6ßl¿