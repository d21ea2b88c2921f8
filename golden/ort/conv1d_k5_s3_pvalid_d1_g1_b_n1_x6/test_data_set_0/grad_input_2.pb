
BB_gradJð‡r¿˜Ðö¾:ÜH¿ s=