
BY_gradJΚ6G?0όl>2d?D.Ώpκί= Τ½