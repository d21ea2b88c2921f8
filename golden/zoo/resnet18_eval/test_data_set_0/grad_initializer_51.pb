Blayer3.0.bn1.weight_gradJ@©Œ<5uÒ½_ûÄ=ü{»½÷T½÷pb½h
>šù•<RG¶½ùF0=ìc =óƒ¾_m/¾¨«$;GŒ:°=