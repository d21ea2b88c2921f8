
BB_gradJLœ–¾ŒX‹¿L–#@I»)À