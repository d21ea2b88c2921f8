BB_gradJ`ג{¿מתAעW
@s±%ְ