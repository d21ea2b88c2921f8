
BW_gradJR@taV¾ (>._Æ¾xep¾XÒ<=