
BB_gradJVßÀh?À0o‹À