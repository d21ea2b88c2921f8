Bstage3.1.branch2.1.weight_gradJ€ýŒÉÿ„Ø¿ôJC&Ü{¿;Œ3{›é×¿6Glo
å ¿º\îÀŠ»?±Úz¿‘Õ?=Ç–|ô”¿Ýmxkv–¿â›ÕŠ‚?qóüÎvE´?§GC8VC¿¿«qÉ·hZ?¡”…ÕÚT¶¿˜÷{ý¨³?Qhº/nt?|qKfðƒª¿