B
scale_gradJUXŒ3U•ò?™©%ëØÖ¿HÎÈRˆÔ?