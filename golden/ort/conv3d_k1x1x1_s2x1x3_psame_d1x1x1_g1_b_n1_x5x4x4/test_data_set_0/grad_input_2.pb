
BB_gradJtNpÀ–K
@Ìí@ŞOÀ¿