
BB_gradJ¤Xш>ШРЯ>ђfB?ЂИ6ї