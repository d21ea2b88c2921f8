
BW_gradJ0Ùþ@LÛ“À‘Ãç@F¹@p¬|@ŽHÀPn¼¾tó@§TEÀ¶g–Á„bVÁxBu¿