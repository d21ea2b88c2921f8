
BB_gradJÆ6U@)ò€?D¢=ÀPÀ