
BB_gradJÅÆÄ?hrR?HiÙ?êW‹@