
BY_gradJ º½	¿r€I¿¸R¿`dt>KK¿¾µ9?Î”7¿¸+h¿