
Binput_mean_gradJ ™³>PÛ¾Ä1?