
B
input_meanJùè>DÀ„¾*ê9?