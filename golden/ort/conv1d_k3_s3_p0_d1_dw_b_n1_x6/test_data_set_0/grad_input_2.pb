
BB_gradJ$?d„»æ–ân?nT@ø=GΩøj"?