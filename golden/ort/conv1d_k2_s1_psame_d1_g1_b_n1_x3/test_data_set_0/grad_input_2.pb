
BB_gradJ"k┴©юд©Р─i?д≥K©