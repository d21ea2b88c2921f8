
BB_gradJŒÄ?p±¾6¹Å?hðh@