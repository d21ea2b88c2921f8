
BB_gradJ„ÈWÀLæ@?Ögˆ@$ªTÀˆŽÀnæÝ?