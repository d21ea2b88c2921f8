
BB_gradJl†þ>‹R¿]Ž?hü>