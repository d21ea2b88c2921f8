
BW_gradJØ³¶¿¶ÚÀPB÷¿Mq@ötÜ?öËm?