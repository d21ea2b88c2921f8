
BY_gradJCó=4Ô—¾¸Z?ÀàD>