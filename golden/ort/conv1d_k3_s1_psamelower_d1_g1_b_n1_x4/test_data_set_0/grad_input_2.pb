
BB_gradJ8æ©>‹U?¼ú©¾OEÈ?