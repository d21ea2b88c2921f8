
BBJD«Ï?vûD¿ùŠ¹¿ØjE¾