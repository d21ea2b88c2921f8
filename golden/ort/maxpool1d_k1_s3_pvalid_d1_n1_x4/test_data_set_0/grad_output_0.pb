
BY_gradJŠk ?€Œð¾L0¿æºw¿