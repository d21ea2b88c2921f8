
BB_gradJFц±@¬жљ@виzј