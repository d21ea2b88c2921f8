
BB_gradJ„"_@Ótª@(F†ÀHCƒ@