
BB_gradJè> E½L ®¾lÒu¿