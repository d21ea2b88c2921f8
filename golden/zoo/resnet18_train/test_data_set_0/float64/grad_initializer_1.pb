Bbn1.weight_gradJ «Ÿ
yñHÊ¿ºµ1hæpé?í9sôğ¿ÒÏ€#úè?