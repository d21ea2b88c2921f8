
BB_gradJО╧╜@│аGютХ╬uU@