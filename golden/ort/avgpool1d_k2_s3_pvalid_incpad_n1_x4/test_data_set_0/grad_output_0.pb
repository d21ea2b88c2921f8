
BY_gradJ\ ╡>аяC╜