
BX_gradJ y+¨?ÞÜm?ÂHº>h|Þ½À2¿p¯4¿d=hS¸>