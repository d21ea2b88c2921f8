
BB_gradJÖ©ÔÀºª@mÜ@ûLXÀ