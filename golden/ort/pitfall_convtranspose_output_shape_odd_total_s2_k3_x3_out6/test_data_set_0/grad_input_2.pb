
BB_gradJx]6¿<Þ¿î£—¿