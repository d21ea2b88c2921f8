
BY_gradJú'	?JiS¿Ì\?€=¯<