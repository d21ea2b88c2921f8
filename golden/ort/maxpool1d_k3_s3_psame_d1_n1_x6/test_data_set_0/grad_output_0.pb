
BY_gradJHpq¾x2U¾ÀI¾¢±?