
BY_gradJ øz}?|FN?€ŠN<Ä}¿Dt2?Z`+¿VŒV¿à8è=