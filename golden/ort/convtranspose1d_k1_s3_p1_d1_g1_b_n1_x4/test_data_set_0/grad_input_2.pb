
BB_gradJ╨zC©лQ2?юсc>ЦH©