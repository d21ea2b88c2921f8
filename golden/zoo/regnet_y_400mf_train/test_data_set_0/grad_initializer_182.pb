B.trunk_output.block2.block2-6.f.c.1.weight_gradJ@[£Â=wÃª»×ú¡¹(I=Ä±½Å¢Ñ;c„F<Í`&=›”Á;3±Š½p
;ârÇ<zx#½bŽ=(=<!#_<