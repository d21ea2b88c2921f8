
BB_gradJC±ך¿qגפ?ÚBם¿ץ=Õ¿