
BB_gradJÀB?°D@î!A¢>Î@