
BY_gradJLv‡>À·§¼A¼>€Ñ<H¶N¿à£u¿