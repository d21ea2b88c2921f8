
BB_gradJm¿Í½¿{‚„¿ŽP\¿