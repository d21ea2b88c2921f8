
BB_gradJqkBLšAÌPáÁXœ?AëªíÁ%ÕÂ