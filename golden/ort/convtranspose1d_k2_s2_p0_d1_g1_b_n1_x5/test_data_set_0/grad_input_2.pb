
BB_gradJw¨@@—s‘¿€ý*¼8ŠGÀ