B.trunk_output.block2.block2-6.f.c.1.weight_gradJ€Ö#cp¹m¿Ç–¶,€?
˜áµ¸q?ŸøjH^S?Ÿp‚5£’¿ƒiOú+¿‹çÇ¿‚?4Æ7s’MA¿ÚıåTºQH¿ØÛBbó'¿ô¡Ë¿‰1?<v :zk¿ô"³Ê¿(¿ÑÙ=?À†?	Xt¯È4K¿öóÊ‰äs¿