
BY_gradJN.?8kS?ü6ä¾Î¤?