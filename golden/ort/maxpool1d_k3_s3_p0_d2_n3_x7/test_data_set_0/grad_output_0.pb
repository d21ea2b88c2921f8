
BY_gradJz(¾Z`?àIr¿²å)¿€ÏC½,RÂ>