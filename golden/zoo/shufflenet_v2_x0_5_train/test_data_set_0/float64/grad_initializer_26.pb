Bstage2.0.branch2.6.weight_gradJ@"CqX®!@σ\θD‚8@π5|†Xg
ΐI'–ιώ?ϋHπW°-5ΐ6μ$›‚=ΐvL‡Άίρµ?χviop9"ΐ