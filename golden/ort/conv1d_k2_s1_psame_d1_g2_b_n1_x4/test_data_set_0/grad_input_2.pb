
BB_gradJ€àm=jkÜ?O®¿:–Û¿&A?®^b?