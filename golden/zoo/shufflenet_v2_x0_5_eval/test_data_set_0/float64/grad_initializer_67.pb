Bstage2.3.branch2.4.bias_gradJ@"mGd?Æ5¸ª¶Ñ¿LÀ¾Û>v—/Ž6ö>:Ú;xÅdð>PÀR'È?/
5A­¿øJék?