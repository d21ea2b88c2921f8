
BB_gradJèC£¾ÀKê¼JÍ¿²T(À