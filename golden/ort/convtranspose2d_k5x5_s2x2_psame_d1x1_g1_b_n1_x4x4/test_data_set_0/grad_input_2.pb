
BB_gradJีภvฏ?โน@Rทoภ