
BB_gradJﬁ>1ø¥£¶>|Åsø