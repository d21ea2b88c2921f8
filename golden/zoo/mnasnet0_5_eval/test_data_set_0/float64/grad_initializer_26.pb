Blayers.8.0.layers.7.weight_gradJ@Ž£æÚæø†¾k}úTÓË>zàq›½>g.ÖNÀ>„BìÔ±C³>ß2jµœ^Á¾WÅÏªlÃ¾á
¼7€ë™>