
BY_gradJ(8;8¿@˜W>X‘Ì¾¦b?,B?X€I>¤Z­¾džl¿Lô¾>ˆ¿