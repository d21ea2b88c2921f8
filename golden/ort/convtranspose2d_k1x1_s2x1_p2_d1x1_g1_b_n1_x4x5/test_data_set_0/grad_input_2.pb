
BB_gradJŒUç¾Zn,?(y ¾@vH¾