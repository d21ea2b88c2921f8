
BY_gradJIv¾4aò¾ÀñQ½¼ö¾