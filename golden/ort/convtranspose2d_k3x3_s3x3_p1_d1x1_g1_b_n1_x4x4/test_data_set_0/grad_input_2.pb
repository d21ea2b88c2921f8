
BB_gradJßG
Au‚¢¿`•ÁÀê84À