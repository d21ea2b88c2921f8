
BY_gradJ№k?XFї”tЯ>pЪѕаРpЅЅ>