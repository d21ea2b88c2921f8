
BB_gradJ”Vl¿P›Ö?¼êc?ðïZÀe€?$¡¬¾