
BB_gradJäÇ>ån¢¿¬–¤?dZý>