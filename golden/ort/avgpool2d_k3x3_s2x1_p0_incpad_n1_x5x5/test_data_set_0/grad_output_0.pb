
BY_gradJ0|ç¾•v>8&k?ðs>‹e>ö•c?H-Ÿ>vN? iª¾t¾M¿æ=L-š¾