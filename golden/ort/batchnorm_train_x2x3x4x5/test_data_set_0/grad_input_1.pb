
B
scale_gradJ!ö?˜X¤¿(8@