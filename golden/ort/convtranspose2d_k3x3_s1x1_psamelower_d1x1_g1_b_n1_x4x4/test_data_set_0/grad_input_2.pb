
BB_gradJƒÀìoh?Ís…À€@