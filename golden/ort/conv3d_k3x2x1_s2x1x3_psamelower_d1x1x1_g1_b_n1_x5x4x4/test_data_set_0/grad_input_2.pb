
BB_gradJng^@Pû‡¾Ja?Ô>@