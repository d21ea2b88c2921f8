
BB_gradJT¿¤¾çx±?„F?RyR@