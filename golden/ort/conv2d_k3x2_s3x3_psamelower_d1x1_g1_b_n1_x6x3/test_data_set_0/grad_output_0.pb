
BY_gradJ Ît¿lŽX?J„?¿x‡T>r[q?€,\=Fl?|ãü>