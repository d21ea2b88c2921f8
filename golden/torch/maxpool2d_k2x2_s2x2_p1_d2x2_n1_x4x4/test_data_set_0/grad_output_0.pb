BY_gradJ tT ¿Àe[>ÀS¢=ÌV?
$i? jË>$jû>¨í ?