
BY_gradJ`NB¿pã»=¦<~?@Ú¿