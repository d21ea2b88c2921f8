
BB_gradJбTr©ю1С╬YД╙юд▀║ю