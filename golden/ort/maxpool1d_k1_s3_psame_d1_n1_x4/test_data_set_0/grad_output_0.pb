
BY_gradJè%o¾&Ág?ªS2¿Ô®;?