BB_gradJÆé
?ğ¬?ôvv¿È•¿