
BB_gradJv¡}@U—@Ì›g?XÊÀ