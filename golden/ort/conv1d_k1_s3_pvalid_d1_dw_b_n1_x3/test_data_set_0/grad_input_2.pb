
BB_gradJXÿY?8á<>ş@6?x¶?TÇ>JÕ9¿