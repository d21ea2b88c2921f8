BB_gradJÏÐ
Ar'QÁh]"¿