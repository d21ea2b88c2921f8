
BB_gradJqˆV@0Vi?˜ë¿dç@