
BB_gradJ\ZC¡o∂ÁAÍu|¡¶≤A2πÈ¡s¢¡