
BB_gradJl?ийJ>23F?Ь=y?