
BY_gradJDfI?\çæ¿a=Ê≤?