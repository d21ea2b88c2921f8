
BY_gradJÊ&x?0£ˆ=