
BB_gradJØÖä>À.l?@B?ËH?