
BB_gradJÜj9Àþá@a‚ð? ëO>j}u¿¾À