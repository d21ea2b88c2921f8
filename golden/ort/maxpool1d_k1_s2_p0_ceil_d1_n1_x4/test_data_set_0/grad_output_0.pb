
BY_gradJX¿|>lL?8ß¾>ìmü¾