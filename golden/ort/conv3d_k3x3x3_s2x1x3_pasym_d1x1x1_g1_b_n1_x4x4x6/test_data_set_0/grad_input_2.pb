
BB_gradJ$œiÀ@Æ?À+w‘ÀH’÷¿