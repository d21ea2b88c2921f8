
BY_gradJ °›¶¾>S\?q4¿H«a>º—I?–$?pu2¿Øäg?