
BY_gradJÊº-?;P¿