
BB_gradJM˜@ŒÿÂÀµ™"@t7A