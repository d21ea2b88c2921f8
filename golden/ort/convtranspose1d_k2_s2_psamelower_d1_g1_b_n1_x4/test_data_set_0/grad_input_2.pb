
BB_gradJ·uBюд-O©╬C@P#Ю╫