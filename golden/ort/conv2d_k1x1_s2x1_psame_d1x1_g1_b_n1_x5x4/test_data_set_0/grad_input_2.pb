
BB_gradJ¢'@l´F? SÃ>ž)@