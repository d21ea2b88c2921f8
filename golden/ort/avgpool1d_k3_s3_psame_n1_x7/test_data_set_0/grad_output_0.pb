
BY_gradJœÉZ?l}?ù’½V@?xE‰>è¸D?