B2features.denseblock3.denselayer3.norm2.weight_gradJ )­%æ\¿_ñŒ$û•O¿5
æØ”¾?“e»²ÅÀ¿