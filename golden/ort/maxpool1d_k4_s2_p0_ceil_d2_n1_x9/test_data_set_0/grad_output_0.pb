
BY_gradJîrh¿äÊ>°'O>’Ë=¿