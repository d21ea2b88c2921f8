
BB_gradJpНњЊ2D@7ядјъ9A