
BB_gradJˆ¶@ÊaTÀÀ#X@0RÄ>