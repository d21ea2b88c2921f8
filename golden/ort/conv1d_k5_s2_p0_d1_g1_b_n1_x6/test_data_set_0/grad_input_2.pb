
BB_gradJCó=4Ô—¾¸Z?ÀàD>