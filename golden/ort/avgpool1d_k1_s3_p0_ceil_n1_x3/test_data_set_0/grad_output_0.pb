
BY_gradJî†¿
o¿