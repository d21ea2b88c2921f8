
BY_gradJÐô>v^r¿Ü‹¨¾°Q3>