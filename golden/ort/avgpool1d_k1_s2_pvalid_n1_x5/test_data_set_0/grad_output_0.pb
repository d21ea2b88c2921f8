
BY_gradJXo¬¾øg?ÚRx?XÊM?Ï#?†Ç¿