
BW_gradJ,}*A`OhÁ‡îÔÀ2KÁ¾NÌ@¥RâÀ