
BB_gradJÚò¸@TðÌ>h„Ç¾Îg?