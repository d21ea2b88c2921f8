
BB_gradJ¨Áœ>Rì¶@…ŠAŒöLÀ