
BY_gradJ€¸—<žCo?