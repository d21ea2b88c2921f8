
BB_gradJWœ?p ´> ’Æ>¬N#@