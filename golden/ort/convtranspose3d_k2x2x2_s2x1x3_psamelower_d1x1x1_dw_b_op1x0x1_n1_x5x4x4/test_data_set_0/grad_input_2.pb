
BB_gradJ«òÀIHAJ\”Aýk@J¯‘A)0½@