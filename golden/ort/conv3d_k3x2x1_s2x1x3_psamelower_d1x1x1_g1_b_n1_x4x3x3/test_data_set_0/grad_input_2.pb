
BB_gradJp}	?ÄŒ¢>WX¢?Ã$ò?