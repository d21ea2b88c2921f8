
BB_gradJØÀ¢ILÁn®e@T€°A0õ?YªA