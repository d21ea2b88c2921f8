
BB_gradJŒ'≠¿V¶V?Ñq‘æ%gî@