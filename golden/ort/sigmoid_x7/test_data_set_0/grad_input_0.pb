
BX_gradJÂgy¼ÏŠG¾²¼˜~¾G™¼Wko:2½