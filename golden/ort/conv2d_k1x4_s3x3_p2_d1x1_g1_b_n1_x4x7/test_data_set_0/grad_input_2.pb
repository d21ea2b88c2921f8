
BB_gradJDÿ‡¿Øšr?X(Àz_I?