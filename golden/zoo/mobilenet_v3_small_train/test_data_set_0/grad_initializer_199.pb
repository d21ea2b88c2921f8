
Bclassifier.3.bias_gradJ(Üþ·>8~?è?< ‡¾ –P=ä¬•¿ ñ_=J½É?`Ç’=Ä´%?