
BB_gradJàMˆ½0Åñ½NÊ¾0e¾