
BY_gradJ¸WÎ>h	E¿î³p¿ »+>ÖH/?0õ_>