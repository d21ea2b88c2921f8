
BB_gradJxB@[ÁÄFd¿©mq@sKA®YÀ