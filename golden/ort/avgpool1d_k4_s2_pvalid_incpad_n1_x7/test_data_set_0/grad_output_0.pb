
BY_gradJ<¿2ÂY?ÄM4¿˜Çd?