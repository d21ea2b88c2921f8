
BB_gradJו\xְצרXְמOִ@)”$@