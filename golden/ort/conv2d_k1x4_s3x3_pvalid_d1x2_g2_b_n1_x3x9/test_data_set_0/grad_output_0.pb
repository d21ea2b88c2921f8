
BY_gradJš0s?XR¿Êý¾ìj‰¾Ô¼9?fHY¿