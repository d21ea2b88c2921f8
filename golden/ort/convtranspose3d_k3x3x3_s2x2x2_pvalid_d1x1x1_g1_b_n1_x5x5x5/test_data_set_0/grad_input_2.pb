
BB_gradJºâÂYfÁ‚AD)>@