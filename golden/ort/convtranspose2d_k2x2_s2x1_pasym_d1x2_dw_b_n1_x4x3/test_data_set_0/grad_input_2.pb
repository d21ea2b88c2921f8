
BB_gradJhN@èï>ø=>IÆŠ¿o.Àz?À