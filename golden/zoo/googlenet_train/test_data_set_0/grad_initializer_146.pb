B$inception4c.branch2.1.bn.weight_gradJ@ðÃ—¾ÿýÐ;åü˜½u²j=RÎh>®S">†Ô=ˆ6Ê=Ë$#¾d³¡¾HnX=eO~¼¸¼Ä‘
¾¸)Ò¾ãVS½