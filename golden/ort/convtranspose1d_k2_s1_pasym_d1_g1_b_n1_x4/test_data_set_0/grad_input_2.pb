
BB_gradJpç¶½„7<?Xoä¾>D©?