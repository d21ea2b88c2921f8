
BB_gradJrÑ?(E?–∞?‰Mﬂæ