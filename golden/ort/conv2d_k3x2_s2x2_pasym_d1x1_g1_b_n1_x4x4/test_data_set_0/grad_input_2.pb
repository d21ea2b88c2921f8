
BB_gradJΈPΏπή?‰t‚Ώl‹ψ?