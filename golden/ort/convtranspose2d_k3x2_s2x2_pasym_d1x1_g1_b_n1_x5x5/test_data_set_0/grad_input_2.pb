
BB_gradJs¡xÁxğ?,POÀœ ¦À