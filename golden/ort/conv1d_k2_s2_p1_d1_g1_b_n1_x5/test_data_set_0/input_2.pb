
BBJiž¾Y>¿¶F¿.uw?