
BY_gradJ:$p?нц╬:А©Pwn?