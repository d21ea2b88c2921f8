Bbn1.bias_gradJ 4VuÚÚÑ¿À¨°ï6?T½Tİ
è¿€³X-Ìu¥?