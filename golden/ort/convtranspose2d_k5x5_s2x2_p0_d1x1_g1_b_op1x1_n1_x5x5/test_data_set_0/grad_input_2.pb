
BB_gradJN¡Àª-hÁJ \Àq’¹À