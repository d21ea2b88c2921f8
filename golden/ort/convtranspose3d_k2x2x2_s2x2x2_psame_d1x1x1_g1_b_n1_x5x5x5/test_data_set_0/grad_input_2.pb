
BB_gradJp╞Я@би[A|▌│A▌чKA