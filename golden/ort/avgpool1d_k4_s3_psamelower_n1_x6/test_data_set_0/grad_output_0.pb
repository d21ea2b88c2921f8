
BY_gradJâ¿Nct¿ð>¿¾#U?