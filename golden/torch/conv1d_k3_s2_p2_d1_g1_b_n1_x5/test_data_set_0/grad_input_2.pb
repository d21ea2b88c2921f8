BB_gradJRê’¿¸ê
@ `K= .W>