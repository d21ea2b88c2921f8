
BX_gradJ(«#o¾VW¿Âñ¾v`t¾àd7=ÃÀ>szN>;×Ë½a¬w¾3š¾