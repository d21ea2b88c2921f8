
BB_gradJxg@ËqÓ?Â· ¿§?