
BY_gradJt5«¾P¶Ñ>¼n³¾€v_>