
BW_gradJ0`h>¸ˆA¾Šð?rZs@ÆC5A!T*?Œ€žÀ‰DÀ0hÞ>>j±¿†?cMÀ