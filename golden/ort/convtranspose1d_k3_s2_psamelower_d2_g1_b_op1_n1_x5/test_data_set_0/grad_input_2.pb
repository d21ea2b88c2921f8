
BB_gradJmA#@p>¼þ/@vÒÀ