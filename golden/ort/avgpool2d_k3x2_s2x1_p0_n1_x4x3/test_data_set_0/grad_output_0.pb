
BY_gradJBe`¿RL?ÈG?hù™>