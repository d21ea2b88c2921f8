
BB_gradJLçc@&t@m@À×B¿