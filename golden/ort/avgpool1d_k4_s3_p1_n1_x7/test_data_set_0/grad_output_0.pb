
BY_gradJpZÃ>°®J¾Îµ¿PÌñ¾