
BB_gradJd[Б>хZ▀©
#n@≤йч>