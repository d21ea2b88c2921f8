
BB_gradJ\Õ¿A¥¼¿ Àb=cˆŽ?:Mi¿D•>