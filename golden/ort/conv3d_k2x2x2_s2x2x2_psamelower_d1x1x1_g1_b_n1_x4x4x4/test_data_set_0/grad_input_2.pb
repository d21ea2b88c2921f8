
BB_gradJdH?ül¿@½Ï=Ç^?