
BY_gradJtßb?»ﬁﬁ>j5ø¿çyø