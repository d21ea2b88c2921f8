
BB_gradJÀqQÁj¦‚?®x@O{Á