BB_gradJvNpА–K
@Он@ЮOАї