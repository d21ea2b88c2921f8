
BY_gradJLÖã¾T°î¾