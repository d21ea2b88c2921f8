
BB_gradJØİh¾ìH¡¾Ìì%¿„«s?rÊu?vn?