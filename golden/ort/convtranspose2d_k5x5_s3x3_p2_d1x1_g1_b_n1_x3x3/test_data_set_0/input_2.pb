
BBJ¿N¾¡Qb¿˜V?c™.¿