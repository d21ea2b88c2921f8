
BBJ•Ð¿Qv¿Bdõ¿¤ùJ¿