
BB_gradJ¿>R?FS?P‡û=s2>~Ý”?