1B1features.denseblock3.denselayer17.norm1.bias_gradJÄ×R¿<BJ=2)¥½ôâí½ÎKı<Èó(¼¬&¼ßÍc=Ê»½:D<Pî×»Ø49½^b<˜×€¼à4aº°i>½r©=Ü˜½T§˜¼z¼Ù=¨-Å½O€';kQ¾¼.]ß¼ÜHm< $Q½mF=:n¼â²3=Pª1¼x
Ô=)e=›Ú¤¼şu©¼ÂÈ6½,q×»
ºË»jmr¼­İ=ÓŞÄ=“²°<0O=uŠT½jÇp<4Ş¼)S=4 M¼jÒS=