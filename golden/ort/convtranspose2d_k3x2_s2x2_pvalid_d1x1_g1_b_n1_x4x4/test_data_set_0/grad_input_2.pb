
BB_gradJ\ג{¿םתAפW
@s±%À