
BB_gradJo)Á€€@8Òr?ÜßI@