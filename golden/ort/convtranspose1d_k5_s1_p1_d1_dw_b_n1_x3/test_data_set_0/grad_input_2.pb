
BB_gradJ6ÑL?°uÝ>å ƒ¿²V*?(V?cAÀ