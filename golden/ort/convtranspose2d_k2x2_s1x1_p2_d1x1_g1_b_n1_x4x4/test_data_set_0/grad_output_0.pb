
BY_gradJÈxè¾4¸?ÈcW?VÄ¿