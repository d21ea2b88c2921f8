B
scale_gradJ0åª@;°sÀ¹ÿ>ewªÀ