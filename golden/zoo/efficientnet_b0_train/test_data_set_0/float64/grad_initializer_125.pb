B"features.4.1.block.2.fc1.bias_gradJ˜
lÎ*’?àMvæ#Ğq?