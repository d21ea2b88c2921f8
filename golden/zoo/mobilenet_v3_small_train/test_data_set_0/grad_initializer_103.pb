Bfeatures.7.block.1.1.bias_gradJ@(A¹ˆá¸´®Û8ñˆÛ¹®üÑ¹ÊÈ‘9<
o9è@¯¸ÿ1:eC:<úV¹hº¹U=9êÖ‹¹¯ëQ9µ9