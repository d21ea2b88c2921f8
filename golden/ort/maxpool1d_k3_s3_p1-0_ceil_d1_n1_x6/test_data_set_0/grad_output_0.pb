
BY_gradJ^m?°!g¿pYq¾Ùt¾²?? K=