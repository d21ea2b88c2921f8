
BY_gradJZ4?จ*>ภ`o=Lฯ๛พbPRฟเว4>