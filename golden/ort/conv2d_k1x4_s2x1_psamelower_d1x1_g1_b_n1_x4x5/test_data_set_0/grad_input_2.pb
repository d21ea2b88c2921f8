
BB_gradJ¨HΟΎLY@fπάΏ,ρ_@