
BY_gradJЗCd©$м6?═еч╬ T©