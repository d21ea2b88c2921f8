
BYJ ¸%¾/h•>¨ta?ô4È?dO9?UJr<F(¿ÍßC¿