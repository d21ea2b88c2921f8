
BB_gradJW§Æ¿À>$>gá£?°T¾