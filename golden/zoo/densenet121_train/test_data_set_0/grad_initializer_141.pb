B0features.denseblock2.denselayer8.norm1.bias_gradJ`*˜<îQ=Ì
Ô¼EÁ<(^Ê<`²o<5õ€½ú‚=^"¾½(4«=`æJ=’e¼ªË=L¤Š½¼|Å<;…^½ ½´V¤¼4—F<üÇÕ»Ô^¾ºb,½ş:_=m0¾