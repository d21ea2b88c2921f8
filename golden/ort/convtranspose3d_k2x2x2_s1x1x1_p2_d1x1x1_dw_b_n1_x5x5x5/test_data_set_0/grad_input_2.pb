
BB_gradJ{û¿¯KK@Ÿ@Tè¿xõd?-?Ç?