
BY_gradJìbˆ>pd\¿pcÓ>*\¾8ât?àhü¾