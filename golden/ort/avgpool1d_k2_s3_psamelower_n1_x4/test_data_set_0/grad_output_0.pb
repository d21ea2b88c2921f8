
BY_gradJßU?Ú¤6¿Há>RØ?