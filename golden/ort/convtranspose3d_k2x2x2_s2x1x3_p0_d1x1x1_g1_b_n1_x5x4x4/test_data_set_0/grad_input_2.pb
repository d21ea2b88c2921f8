
BB_gradJ3ù@∂∆X¡J¢NA305¡