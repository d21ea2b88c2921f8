B3features.denseblock3.denselayer17.norm2.weight_gradJ½Óf9
”º<Å@“ºÑ;‡<