
BY_gradJ nì¿È}ð¾P„I>ä`G¿LLî¾Tè°>Ær?VÖ¿