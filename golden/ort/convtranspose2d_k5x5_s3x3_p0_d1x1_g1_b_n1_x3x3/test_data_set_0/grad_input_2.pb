
BB_gradJØuÀr>I@Ä’-@