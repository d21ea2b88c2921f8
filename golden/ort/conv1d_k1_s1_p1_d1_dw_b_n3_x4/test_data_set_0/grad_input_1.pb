
BW_gradJö¢¾q¹‹?ü;,@ÛaÀoWAÀàF$½