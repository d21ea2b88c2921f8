
B	input_varJOãŸ?¶q?