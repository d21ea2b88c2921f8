Blayers.9.1.layers.7.weight_gradJ@.~²¢	Àë‡Ï°	¸!@?yÃú„ÀÈ@\å¿DW
ñ?´òbûğkÀIhd-¡Ñ@AMh¼µ‹@