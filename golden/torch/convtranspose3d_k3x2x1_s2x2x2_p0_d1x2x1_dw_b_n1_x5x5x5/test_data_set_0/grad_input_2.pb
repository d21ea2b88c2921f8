BB_gradJnkB
LšAÑPáÁ\œ?AìªíÁ&ÕÂ