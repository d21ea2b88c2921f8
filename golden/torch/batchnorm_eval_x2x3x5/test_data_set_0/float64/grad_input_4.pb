Binput_var_gradJ¥
>®’?¹c}p]Ú¿¥<:€ð¿