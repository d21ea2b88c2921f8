
BY_gradJQ¿Ô|$?l|¾8w?xz>