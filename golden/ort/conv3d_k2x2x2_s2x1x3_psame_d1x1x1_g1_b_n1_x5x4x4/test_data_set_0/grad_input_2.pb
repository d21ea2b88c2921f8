
BB_gradJÔ\~@iˆÀžd
@¤)T?