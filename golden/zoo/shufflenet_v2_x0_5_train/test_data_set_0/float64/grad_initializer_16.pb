Bstage2.0.branch2.1.weight_gradJ@­U°¨±Ù@$ë|PÿÍ¿¯

ì=Û?a3£f7Û?™]t´ÂûÓ?ï-šI_Ù¿NÒ¸öxaº¿²÷Ÿ·–ğ¼¿