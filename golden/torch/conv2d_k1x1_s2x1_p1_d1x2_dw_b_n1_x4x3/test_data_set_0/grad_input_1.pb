BW_gradJvÍ?sr©¾éA¿«z@zã“?«³
@