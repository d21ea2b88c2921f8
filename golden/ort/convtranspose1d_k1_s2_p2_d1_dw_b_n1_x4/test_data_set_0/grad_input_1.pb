
BW_gradJLB?ò¬¿n—9¿È¥ÿ> D?UTÀ