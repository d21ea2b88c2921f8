
BB_gradJÎC“@LRÐ>´,÷@âÎ?