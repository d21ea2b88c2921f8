
BY_gradJ0zB>¯@xæz—`?òÄTæPI?πZø,k‘>à?¨åå>º:3ø UNΩ»Ìvæ