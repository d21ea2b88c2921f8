
BB_gradJÀe?pH°>\Ì`?&´?