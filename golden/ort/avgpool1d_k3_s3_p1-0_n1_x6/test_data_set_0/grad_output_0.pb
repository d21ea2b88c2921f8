
BY_gradJx¡?f¿P9û½<C	?