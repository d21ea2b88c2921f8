
BB_gradJpU,¿,œ¸?mwé?F¿