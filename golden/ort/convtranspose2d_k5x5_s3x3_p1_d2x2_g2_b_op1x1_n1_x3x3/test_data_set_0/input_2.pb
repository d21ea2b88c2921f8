
BBJiC?cá¿!Ku=y“Ô¿ü>=P¿