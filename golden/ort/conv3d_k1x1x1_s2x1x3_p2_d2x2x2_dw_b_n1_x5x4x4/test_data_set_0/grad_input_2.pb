
BB_gradJÌðEÀ z†@›û½À
MAXŽ9?‚—æ@