
BB_gradJ;Õt¿ö¡L@pq¿‡£3¿EÜ@•X¡