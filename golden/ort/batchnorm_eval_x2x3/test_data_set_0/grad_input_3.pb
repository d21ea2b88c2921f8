
Binput_mean_gradJHåš¿ät«½Ýø>