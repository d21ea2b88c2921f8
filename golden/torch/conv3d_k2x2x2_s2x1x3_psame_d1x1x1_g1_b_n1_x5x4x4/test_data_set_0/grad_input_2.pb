BB_gradJÔ\~@iˆÀŸd
@¤)T?