
BB_gradJÀX—¿tªè>
»~?ºN??¨	ÀPGÞ¿