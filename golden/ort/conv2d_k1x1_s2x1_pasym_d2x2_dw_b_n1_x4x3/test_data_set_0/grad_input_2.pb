
BB_gradJr[?dº@­R@|5@JwÀ€×!½