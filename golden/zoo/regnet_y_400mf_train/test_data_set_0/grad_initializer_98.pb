B,trunk_output.block2.block2-2.f.b.1.bias_gradJ@2¢B>4U½gf¾$C”¼ÛÚ»½`„¥º†[.<<%²>•ÿ<b´¹½¢¢ì<†=
Oo>Xw~=9€ÿ½²v=