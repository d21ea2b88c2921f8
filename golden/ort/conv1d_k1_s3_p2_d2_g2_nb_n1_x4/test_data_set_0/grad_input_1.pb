
BW_gradJ0UÊi>H&z¾…d>0ƒt¾w%=x$¨½‡~?ê>Èhq¿& a¾î`¿E9R¾