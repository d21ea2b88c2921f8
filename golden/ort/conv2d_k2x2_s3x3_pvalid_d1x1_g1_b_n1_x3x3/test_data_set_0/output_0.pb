
BYJa\U@YWaÀL¹nÀ(§“>