
BY_gradJÜqd?â±¿