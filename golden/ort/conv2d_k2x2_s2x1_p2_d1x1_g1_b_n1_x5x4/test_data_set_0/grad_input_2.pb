
BB_gradJ¸æû¾€l¼œA”@Ò
ò¿