B0features.denseblock3.denselayer2.norm1.bias_gradJL›o =F½°h–»ÿA”½¯Š¼ÓuÄ¼Vƒñ½P2=,à8¼Ö’=9w
¾›—½’ ¼â¶‰<Ï@>|©Ü½`à¥;mÙ;†½›½