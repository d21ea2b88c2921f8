
BY_gradJð‡r¿˜Ðö¾:ÜH¿ s=