
BB_gradJš÷ÀxqÀé¸@,Oã?