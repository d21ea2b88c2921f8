
BW_gradJ0„«H>©Q'?—&1?³œk>+tD?^ÿO?¾Šp>vH?~YT?äÉ=5sq>E£>