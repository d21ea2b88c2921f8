
BB_gradJE9DA╡с@ЛЁ┴ажб