
B
scale_gradJsAÉ½	æi¿8À