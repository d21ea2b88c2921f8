
BB_gradJ	‘¿n…2ÀvQ@`Ï¡>