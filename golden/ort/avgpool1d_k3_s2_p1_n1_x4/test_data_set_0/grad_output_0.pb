
BY_gradJBÚ)¿”(d?(.¾Ž6E?