
BY_gradJ°}Y>
R¿DQk¿Ø†@?‚¶= •œ¾