B$inception5a.branch2.1.bn.weight_gradJPÅu½sH½¹ª^»ž3€=uZò<fÃÜ<§Ò/½ùXÒ<ø¨;W¼ÎCò<šÓ“½«©½&ÒD=Rs
=åçn½±ãÍ=7ÈÝ;ý«>½žÌ¼