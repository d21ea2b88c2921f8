
BW_gradJŠ ¿Ç	@zßš>lh?òJW¿lE’¿