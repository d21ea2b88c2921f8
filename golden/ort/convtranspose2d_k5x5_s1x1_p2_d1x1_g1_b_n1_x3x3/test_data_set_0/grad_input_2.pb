
BB_gradJ(u”¾CS¹?âS"@pÌP?