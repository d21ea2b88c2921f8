
BY_gradJ ¾D? Á=F¨,?yÇ½¸Ãá>úJ?p ¾¨jE>