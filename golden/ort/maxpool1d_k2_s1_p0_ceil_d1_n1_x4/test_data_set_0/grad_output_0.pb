
BY_gradJà'Ô=R1A¿b*¿Jƒ¿>N¾HX@¾