
BB_gradJh4ÀÈñÄ?@;y¿YË½