
BY_gradJ`c>‹’Zø»Evæ ,3?