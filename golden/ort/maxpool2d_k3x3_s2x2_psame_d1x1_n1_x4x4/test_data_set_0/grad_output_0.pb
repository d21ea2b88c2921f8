
BY_gradJ ð=‘½l¥>HWr¿TÄc¿$zŽ>8±`>(ö£¾Z?