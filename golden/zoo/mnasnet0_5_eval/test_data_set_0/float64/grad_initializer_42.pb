Blayers.8.1.layers.7.bias_gradJ@f&C&&aÌ¾
	3cÃê>ÇŸ/ÿ78ß¾"Ö‘2å¾WÔ›3Ë¾‡QêÝØ>dÕdwË¾»îÚdvwÉ¾