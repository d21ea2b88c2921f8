
BCJvHÐ¿c·¿