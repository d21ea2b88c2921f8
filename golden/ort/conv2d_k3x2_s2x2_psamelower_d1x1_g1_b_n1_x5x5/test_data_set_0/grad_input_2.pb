
BB_gradJpo>ª¿POù¿yº†¿