BBJדר…?Ib¿ו
u?td|¾