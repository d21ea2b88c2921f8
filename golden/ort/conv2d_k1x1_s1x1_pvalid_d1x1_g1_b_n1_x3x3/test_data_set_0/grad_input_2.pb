
BB_gradJÀ´ã½G=ÀU>÷?PF³=