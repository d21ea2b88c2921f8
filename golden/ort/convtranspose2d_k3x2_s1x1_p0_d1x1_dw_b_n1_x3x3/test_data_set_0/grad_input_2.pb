
BB_gradJh»@î™¿Fİˆ?nğH?À×<XsG@