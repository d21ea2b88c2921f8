
BB_gradJıÂÀ¨û¿pöÂ@zqÉ?