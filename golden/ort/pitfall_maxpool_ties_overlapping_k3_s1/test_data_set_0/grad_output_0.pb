
BY_gradJаґЁ>J4$?дяwњ|jT?