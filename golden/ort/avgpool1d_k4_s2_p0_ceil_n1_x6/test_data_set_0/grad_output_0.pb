
BY_gradJ°FÏ¾0g¾.J?RãR¿