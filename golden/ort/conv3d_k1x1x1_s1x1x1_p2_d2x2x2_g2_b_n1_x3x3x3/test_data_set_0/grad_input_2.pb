
BB_gradJœ*#¡CÏ5ACâ[¡È*=¡