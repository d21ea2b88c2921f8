
BB_gradJR»?Û¬@ÚCR?fì—¿°¿€ZE?