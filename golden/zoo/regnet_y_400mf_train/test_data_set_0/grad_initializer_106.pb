B.trunk_output.block2.block2-2.f.c.1.weight_gradJ@าพ>ÿช=กi“ฝฌ พ
–ผ3@พp-ฃ=๕Ýฝ ดf<8Mฝฆo“>j๕ฝq/=ý3wผ—๒Eฝi}–<