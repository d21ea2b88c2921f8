
BB_gradJdHˆ¾Ì4Ô¾h^›>Ë'ñ?0ŸN¾pPL¾