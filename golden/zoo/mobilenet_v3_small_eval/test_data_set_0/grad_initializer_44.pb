B features.4.block.1.1.weight_gradJ@Š”Ú´ızOµ/¨µCµr•M5gb4*^¸4ä"ê´ş¬4˜»`4¬3k«Õ4´õË³°±5W·4è
x´