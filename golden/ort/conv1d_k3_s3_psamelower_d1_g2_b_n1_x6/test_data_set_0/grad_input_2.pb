
BB_gradJpÌó=ÏÒ•?HE†¾Kj¿í€¾ôy@?