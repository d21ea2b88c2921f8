
BBJj	¾lx>ÃbF¾