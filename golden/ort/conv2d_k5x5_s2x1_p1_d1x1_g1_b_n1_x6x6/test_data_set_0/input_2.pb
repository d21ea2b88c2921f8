
BBJOûs½#ul¾S®ú>…>