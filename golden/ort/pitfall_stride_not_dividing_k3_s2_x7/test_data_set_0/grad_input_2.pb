
BB_gradJò1š?Ø3`>´¿YÀ