
BB_gradJDY2@"Dїњ:їокuї