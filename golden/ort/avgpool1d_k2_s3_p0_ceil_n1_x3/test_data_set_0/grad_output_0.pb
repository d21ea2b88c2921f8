
BY_gradJ€es=H„>