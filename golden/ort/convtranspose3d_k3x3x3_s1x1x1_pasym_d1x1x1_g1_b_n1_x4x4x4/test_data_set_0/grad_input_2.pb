
BB_gradJszA6´¢?K;@;[Z@