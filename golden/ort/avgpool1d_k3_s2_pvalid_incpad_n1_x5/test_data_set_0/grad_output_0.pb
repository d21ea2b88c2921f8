
BY_gradJะF?ุ๛[ฟr8r?ิ6ิพ