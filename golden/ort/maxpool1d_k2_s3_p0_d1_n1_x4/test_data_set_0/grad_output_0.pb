
BY_gradJPÜ|?ุดป>