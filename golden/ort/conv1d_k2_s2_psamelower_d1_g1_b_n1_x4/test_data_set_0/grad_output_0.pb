
BY_gradJ è&v>¾VO¿*#¿!D?xA–¾†˜u?p¨D?à9°½