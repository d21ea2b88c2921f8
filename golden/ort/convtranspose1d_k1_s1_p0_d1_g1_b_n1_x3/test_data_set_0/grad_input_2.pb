
BB_gradJbN¶?X0>þ\ë¿@ÌY¾