
BB_gradJ:$p?нц╬:А©Pwn?