
BB_gradJûjìÀÌƒ!@öŒL¿g€½?