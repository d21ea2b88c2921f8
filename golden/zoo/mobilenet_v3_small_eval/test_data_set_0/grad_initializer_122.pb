Bfeatures.8.block.3.1.bias_gradJ ¦©¿¶ +¦7š^+¸úÚ
8ž’”7€œj4è¯4¶{˜7