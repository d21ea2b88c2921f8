
BB_gradJ›t@Ñ@Þ?úšy¿²I<¿