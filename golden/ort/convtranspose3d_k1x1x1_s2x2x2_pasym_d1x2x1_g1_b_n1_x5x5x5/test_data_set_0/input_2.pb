
BBJ<B?M�S=ċۿ