
BYJÆI·½xùZ¿yFh?Ï?