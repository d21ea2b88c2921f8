
BYJ±eÄ@Èuy@àsë¿BZç@K@lUæ