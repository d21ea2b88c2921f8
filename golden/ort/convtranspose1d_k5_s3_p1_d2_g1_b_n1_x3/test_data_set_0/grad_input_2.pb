
BB_gradJ°G9>xyd>‚±¿¯?