Blayers.8.0.layers.7.weight_gradJ <Η7΄^6έ¬θ5±v6’5λτ
¶Ye¶\Ο4