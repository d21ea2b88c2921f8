
BB_gradJHåc¿@·À$Ý¿Lè?@