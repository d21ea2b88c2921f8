
BY_gradJ  *B>fÔ9¿€În<p:@¾*§o?pâÖ½¤O?´J@?