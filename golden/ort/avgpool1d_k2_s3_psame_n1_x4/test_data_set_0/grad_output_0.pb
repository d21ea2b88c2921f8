
BY_gradJ¨ÙÁ>jÎ~¿p2¸=¶ÄU?