
BY_gradJèüÖ¾ğy¾