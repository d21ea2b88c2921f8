
BB_gradJ¢;C?¸üQ?ÄAÑ¾À_?