
BY_gradJ°D?PEï= uù=Ü£¾