
BY_gradJ„2+?P©	¾à]S½