B.trunk_output.block1.block1-1.f.a.1.weight_gradJ …¥»¾²G?
î
¾v¾ø½"•ˆ?Ó×‹¿äw¿¾þäš¾