
BB_gradJ∞Î“?"€S¿ìq8¿†yF@0æ≠Lc@