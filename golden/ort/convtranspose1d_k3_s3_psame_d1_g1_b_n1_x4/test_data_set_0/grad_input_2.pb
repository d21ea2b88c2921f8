
BB_gradJïv@:xO¿ıÆ¿9«À?