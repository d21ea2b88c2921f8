
Bclassifier.1.bias_gradJ(´üØ>¸ê¾$ð€?”ö¾&sO¿fÙº?´}?Y†§¿¤ÜŸ?(k-¾