
BB_gradJfО⌡?Z:ф@:Эа▄dню