
BY_gradJ ¬i:?äOl¿t@Ö>êM¿nu>¿<J?¢®,¿H6Ò>