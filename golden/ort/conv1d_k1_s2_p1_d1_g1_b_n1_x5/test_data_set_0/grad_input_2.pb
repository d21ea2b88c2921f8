
BB_gradJÌo˜?ˆ'¡¾€È½fM¿