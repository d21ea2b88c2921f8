
BB_gradJjÁß?aÃ@PA3¾Î@