
BB_gradJ.JD@D?¤Ü‡>ü¾•¿