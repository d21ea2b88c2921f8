
BX_gradJ$f	P½2Zƒ?Úa±?dC¿ü£½€œD¿)nV?%û¢?Zb?