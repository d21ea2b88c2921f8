
BB_gradJÏJo¿∞+¿ﬂ@—@fï¡