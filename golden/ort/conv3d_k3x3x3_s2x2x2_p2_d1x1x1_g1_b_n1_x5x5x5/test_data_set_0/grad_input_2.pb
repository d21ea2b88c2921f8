
BB_gradJşŠÍ¿n8ÀPq.¾¨¢1À