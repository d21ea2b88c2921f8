
BB_gradJ$8Х┐╘w│┐ ╫VAFхр@