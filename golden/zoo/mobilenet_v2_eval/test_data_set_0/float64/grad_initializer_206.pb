Bfeatures.14.conv.3.weight_gradJ€¯|Ç_äâU¿Ù²˜3ÿìd¿‘PfÌ±y<?İZM€G?W~‚©|<?]<æŸKÜH?ãçû‚J?§
æ%’©V¿¥±ë6Ìğ3¿µNa¿qdV?X	jg[T?T§Ş_›s?ü´^>Ş€x¿ÒâK¦X?¼×Í	\?@a¾!‘V?