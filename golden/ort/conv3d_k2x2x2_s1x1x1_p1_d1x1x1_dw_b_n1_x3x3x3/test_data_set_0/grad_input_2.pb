
BB_gradJaÌ×Àp¿zÊÀ8‹°¿°ðQ¿X“>