
BB_gradJvlQ@r0e@c2¨@êŸ¿