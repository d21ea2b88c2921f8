
BB_gradJ¥•a@—†Å¿s•¡