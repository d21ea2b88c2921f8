Bstage2.0.branch2.4.weight_gradJ@—X’±ƒ®¾8E¬²<œÙ>z#;éçëÚ>0Ï•‹®EÆ¾iƒŒì
Þ>èOkÓÿÎ¾Â(YÇÐ>Êt ù5Ì¾