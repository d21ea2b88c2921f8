
BYJnf›¿¶ã6?ÊˆW? c¨¿
HÀxtŸ¿