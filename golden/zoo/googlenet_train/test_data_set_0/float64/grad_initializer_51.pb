B$inception3b.branch2.0.bn.weight_gradJ@€,Àøx‘ô?ƒ}È»Õ†û¿ï]–ÀÀ-˜I;ûvø?¬’×º5eÚ¿†‘z{!7
@öö³6é4å¿ò<x3²÷¿