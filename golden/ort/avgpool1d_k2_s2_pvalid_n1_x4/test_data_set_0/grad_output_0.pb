
BY_gradJ.>P0¶½œ8¿8WJ¿