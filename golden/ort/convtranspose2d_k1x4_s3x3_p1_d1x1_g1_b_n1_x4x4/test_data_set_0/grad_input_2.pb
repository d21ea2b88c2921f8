
BB_gradJЬ@аюJЧQ@JЖr@щя║©