BY_gradJn‡¿P}Ð>(PÌ>
D:¿