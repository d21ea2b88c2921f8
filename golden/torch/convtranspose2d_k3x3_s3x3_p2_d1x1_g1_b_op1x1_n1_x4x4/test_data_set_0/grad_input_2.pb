BB_gradJUˆ
@9„YÀ¸s“?®L§@