
BBJκ>ICΧ>bYuΏφόI=