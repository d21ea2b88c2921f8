B0features.denseblock2.denselayer7.norm1.bias_gradJX˜õ'>ˆ­4¼@Öx¼péW½pE(>¾Þ¨»<¬„½¶¾
—™="Àõ½B~q=P`¯<$‹½ÄÞ“=º¾D™â¼©%d¾1í½€)=º¸î3½»#´=žh“=