
BY_gradJtPW¿|>Ë>HÚ)?Âü[¿