
BB_gradJôj@^6h@¢‹#?pWÀ‰È„?BB(@