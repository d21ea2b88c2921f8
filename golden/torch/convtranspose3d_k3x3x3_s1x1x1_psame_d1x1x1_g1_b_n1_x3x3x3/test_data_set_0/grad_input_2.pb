BB_gradJÑþ5Àr>@z™
?¸‹À