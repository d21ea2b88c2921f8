
BY_gradJJac?Xjl>²‚¿ ÿ§=¬x?v.¿