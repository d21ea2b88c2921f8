
BBJ™sΏPG?Cm‹ΎνάΏ