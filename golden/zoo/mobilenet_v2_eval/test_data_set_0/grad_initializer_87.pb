Bfeatures.6.conv.3.bias_gradJ²F7)C¸
]'¹lÈ:8