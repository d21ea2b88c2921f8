
BB_gradJPRÀšÀ¾d§¿`I/=qh›À2”`@