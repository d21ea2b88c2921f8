
BY_gradJ\Qb?ŒV¿Àzß< ¼¾