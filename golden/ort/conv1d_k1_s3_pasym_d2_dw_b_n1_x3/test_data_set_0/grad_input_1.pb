
BW_gradJœ›8?H¦?…ò¢=am•¿iã%¾NF¾