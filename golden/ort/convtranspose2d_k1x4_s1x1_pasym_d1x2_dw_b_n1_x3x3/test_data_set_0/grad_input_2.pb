
BB_gradJ¸f¿pÆK¿”Ðs?‚Ì_¿•†¿X¶¥¾