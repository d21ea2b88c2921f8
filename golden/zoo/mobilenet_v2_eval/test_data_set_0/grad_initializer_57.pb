Bfeatures.4.conv.3.bias_gradJ
×‰8Qµ¶§Æ¸¨ÄC8