B2features.denseblock1.denselayer1.norm1.weight_gradJ@ÒEø¦y”d?£tö©×X¿btÃh¿†ñâ¾Èq¿ÓöL•?)åù+pA}¿*›É|Àú?0úLK)
?