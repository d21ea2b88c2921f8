
BB_gradJ²ÀCe
@?4ÀRÇ¹?