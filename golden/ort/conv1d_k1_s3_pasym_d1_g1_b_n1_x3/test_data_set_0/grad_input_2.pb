
BB_gradJ0b¿H{M>hDƒ>îÚa¿