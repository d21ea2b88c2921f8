
BY_gradJl?ийJ>23F?Ь=y?