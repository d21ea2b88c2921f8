
BY_gradJр№БЅР‘»><ЬB?lp[?