
BB_gradJj	@ªh@P—ò¿t¹ô¾