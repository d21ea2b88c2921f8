
BY_gradJ0Zм\ї”ЈB?Ь»>x‹>ЁЊ(?nSїаjM?оXZ?pУWѕL\|їўiїв…Nї