B
scale_gradJUAÉ½æi¿8À