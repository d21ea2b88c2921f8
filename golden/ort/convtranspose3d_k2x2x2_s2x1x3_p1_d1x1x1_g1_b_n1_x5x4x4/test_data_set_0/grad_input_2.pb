
BB_gradJvt”ø}TÆ¿^±¿`eô¡