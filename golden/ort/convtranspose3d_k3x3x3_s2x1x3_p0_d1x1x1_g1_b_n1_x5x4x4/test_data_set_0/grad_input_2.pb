
BB_gradJE?±ÀÔû A¦òAê%`Á