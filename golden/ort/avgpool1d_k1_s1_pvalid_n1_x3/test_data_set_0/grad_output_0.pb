
BY_gradJ€½X•J¿nò>H£R¿|ÖO¿D1ã¾