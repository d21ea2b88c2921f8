
BB_gradJΊευΏ•rφΐBΑu?`|@Ώ