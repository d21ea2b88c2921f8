 B,trunk_output.block3.block3-0.f.c.1.bias_gradJ€½j=4Œì<pˆ`<hk…½€/”¸D®=,KË;y`=:Ðö¼š°¼ÞkÜ<¾Î.¼õÏã»ÚWw="_Ë<B6½bå<ñƒš»{€T<âeE;?-g½mx™½rß$=˜Þ:w9‘=¤¸^½¸):=®¼ô
½«”K¼µ×´¼