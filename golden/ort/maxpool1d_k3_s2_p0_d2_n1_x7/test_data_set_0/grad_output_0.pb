
BY_gradJ<t¿°ÁÇ=h¸7>2p¿