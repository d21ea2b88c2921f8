
BB_gradJð^‰?1L¡À M6ÀP@Ñ@