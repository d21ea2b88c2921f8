
BBJm­Î>ìzl¿ÄT?