
BB_gradJҐ ??Ф лЊTXЙ@явњ?