
BB_gradJ«Y‰?°÷3¿j e¿¨kf>