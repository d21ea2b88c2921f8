
BY_gradJ h’¾ØQZ?–cd¿œ¿²?ôX?ºLq¿(9Æ>