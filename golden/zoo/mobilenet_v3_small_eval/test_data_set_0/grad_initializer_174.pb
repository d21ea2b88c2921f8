B!features.11.block.3.1.weight_gradJ@TÑ¼¸Ê¿
³ı¿ù6÷"7İ4!¹„¸IÀ9¿°¸T«¥¸=âÃ8o¾]9B]8B±t¸Àû§·rEv¹*Úµ