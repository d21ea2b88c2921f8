Binput_var_gradJ @‡šÛ@%Vø?Úé¿¡l¸
e7È¿‰Ã!TŒÀ