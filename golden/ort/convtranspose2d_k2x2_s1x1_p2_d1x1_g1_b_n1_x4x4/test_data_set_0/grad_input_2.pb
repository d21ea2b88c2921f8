
BB_gradJÈxè¾4¸?ÈcW?VÄ¿