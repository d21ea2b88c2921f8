
BB_gradJš¥A2ÈAo,A