
BB_gradJooЛїа!ѕЈ”>DЬqїndhї0ЌФ>