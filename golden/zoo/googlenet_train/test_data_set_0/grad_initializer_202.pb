
B"inception4e.branch2.0.bn.bias_gradJ(l,╬#Ё╙╫Я@С╬З#╟>ют5=чM#╬Юл░<╪│:╬╠ ?╒√5>