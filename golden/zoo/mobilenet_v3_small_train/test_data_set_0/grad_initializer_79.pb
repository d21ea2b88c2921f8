Bfeatures.6.block.0.1.bias_gradJ`Xb ¹(îv:¼¥µ9€Óa9ç9ÜÛº9µº’yº‚Ï9i!
»˜@¹^Æ¸
Yß9å£ô9jd’9r&|¹¶L§8lºˆ­d:4ZÈ8ñH8ÊG¤8”/ºÄ
¦·