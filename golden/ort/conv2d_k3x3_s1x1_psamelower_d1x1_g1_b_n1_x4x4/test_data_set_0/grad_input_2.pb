
BB_gradJD0‰¾+xó?˜@Î_"@