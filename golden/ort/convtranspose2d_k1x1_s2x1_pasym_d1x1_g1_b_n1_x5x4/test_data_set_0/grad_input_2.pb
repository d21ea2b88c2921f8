
BB_gradJфtеїI/H@ткѓїѕФ?