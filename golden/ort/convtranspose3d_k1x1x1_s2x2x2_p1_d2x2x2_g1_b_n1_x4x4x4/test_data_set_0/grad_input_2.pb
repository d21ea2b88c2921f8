
BB_gradJ Γª@ή@pδέΐ