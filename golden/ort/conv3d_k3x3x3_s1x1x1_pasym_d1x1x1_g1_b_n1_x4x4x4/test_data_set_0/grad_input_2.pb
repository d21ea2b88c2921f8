
BB_gradJàüÍ?øuw?œ¸WÀ†Ww¿