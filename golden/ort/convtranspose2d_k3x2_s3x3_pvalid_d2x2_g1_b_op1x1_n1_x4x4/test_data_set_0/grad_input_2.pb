
BB_gradJıŸ(AšJÖ@5Æ?ÁDiÁ