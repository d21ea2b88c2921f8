
BY_gradJคช>8ผ!พÜเหพhsb?