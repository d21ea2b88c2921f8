Bstage3.4.branch2.4.weight_gradJ@~
¸þvË7ÿV«¶|Bå·5.1¸u\™7í=%9>Èð·£5Ì7›ð2¸Mý7ï…¿·âz·ó=ß8p<r8m8