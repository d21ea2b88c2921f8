
BY_gradJr§?´»¿