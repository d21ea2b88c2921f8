
BB_gradJ`?‘˜°?Èy!>Hh¾