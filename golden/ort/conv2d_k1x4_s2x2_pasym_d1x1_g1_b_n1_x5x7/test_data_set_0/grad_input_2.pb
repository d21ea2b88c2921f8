
BB_gradJiô?(Ç¿@B˜> ¶c½