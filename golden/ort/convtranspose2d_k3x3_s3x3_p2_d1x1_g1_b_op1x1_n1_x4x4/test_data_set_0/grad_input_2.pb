
BB_gradJXˆ
@6„YÀ¸s“?¯L§@