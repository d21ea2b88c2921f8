
BBJon¿QÑÉ¿)iê?‘t•>