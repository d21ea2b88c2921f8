
BB_gradJR5§À¿ód@¾…s?X,‚@~Şİ@€DÀ