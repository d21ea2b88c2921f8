
BB_gradJûöBÀñ@ÀOv½£9À