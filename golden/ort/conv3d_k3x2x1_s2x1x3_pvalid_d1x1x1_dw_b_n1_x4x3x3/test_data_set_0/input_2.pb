
BBJIW?&áY?ë¿	s¾œok?Hç‘>