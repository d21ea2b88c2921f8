
BY_gradJ (ª=>Xl8?Žfr?òáJ¿è@>><©¾LY½¾ÜLE?