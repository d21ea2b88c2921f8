
BB_gradJÌs¿Uô?‹M_¿l¿FU•¿Dèä¿