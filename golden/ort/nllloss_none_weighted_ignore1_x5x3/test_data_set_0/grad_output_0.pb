
BY_gradJQc?bž¾Zë@?ðl¿¸i¿