
BY_gradJ æ…y?ÞÐ~?ÔWî>ÌÿR¿¶Ì8?œK8?lQw?Z’[¿