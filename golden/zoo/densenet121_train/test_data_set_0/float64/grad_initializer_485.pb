B2features.denseblock4.denselayer5.norm2.weight_gradJ 8€–Õ<”¾Š5)kyPÀ>+²Óp;u˜>H®(œ
Á>