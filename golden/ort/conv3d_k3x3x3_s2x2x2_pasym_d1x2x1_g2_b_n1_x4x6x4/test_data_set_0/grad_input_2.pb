
BB_gradJh>ëòÙ?yD•¿Jü¿