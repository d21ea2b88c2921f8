
BX_gradJ$Ð…9=Ž%¿véK?2Ðh?¨Y¢>ŸI?Pû¾JGÀ-èW?