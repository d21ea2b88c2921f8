Bstage3.7.branch2.1.weight_gradJ€ˆ9¦f0ı³¿CaXàx?á¿ ¨†é~?ĞstÜtM?é¼™|`¨?#ğtã@¨¿úæÚÒÔÈx?y{Ybìæ³¿ÆATò®y?—{{µ-V¿c1Ñ-¸R¿İ´
†mÎg?ï$¥é„¿7¤KÜO™¿¾çzg’@‡?¬u0ç/ª?