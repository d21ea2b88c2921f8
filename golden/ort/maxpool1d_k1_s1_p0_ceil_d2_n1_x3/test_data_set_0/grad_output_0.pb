
BY_gradJø]h?Lù·¾p¬¾F8¿ø…H>æ»W?