
BY_gradJ(¨¶@?Æ£f¿x@;>P:¿dÀA¿pMB¿Œ’·¾E ?èx¾‚ˆT¿