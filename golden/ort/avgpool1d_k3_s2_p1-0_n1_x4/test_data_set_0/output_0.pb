
BYJ½oT¿kR‚¿bÄ3>HO]?