
BBJ|dJ¾„Qƒ?Âc¿EÄ¿