
BY_gradJøV²>þ/V¿zP¾ÓE?