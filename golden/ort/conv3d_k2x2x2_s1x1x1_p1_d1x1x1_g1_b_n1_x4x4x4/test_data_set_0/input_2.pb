
BBJgK°¾	-d?¬v™?wX§¼