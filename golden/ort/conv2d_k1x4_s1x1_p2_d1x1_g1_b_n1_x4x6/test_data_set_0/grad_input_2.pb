
BB_gradJs.í@å«AA»∆n¿"Ÿ¿