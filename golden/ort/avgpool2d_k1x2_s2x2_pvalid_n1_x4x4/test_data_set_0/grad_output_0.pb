
BY_gradJ òbjæ™ıø®WÂæd»/øxm> &åΩcó>(‰Y?