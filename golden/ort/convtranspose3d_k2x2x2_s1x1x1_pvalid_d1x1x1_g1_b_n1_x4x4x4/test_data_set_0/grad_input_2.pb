
BB_gradJ4jUÁÃ•ÁZş¿­zÚ@