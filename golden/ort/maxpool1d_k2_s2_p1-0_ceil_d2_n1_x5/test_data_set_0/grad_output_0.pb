
BY_gradJ`yY¾\žU¿JÜq¿Ö5|?°#É=x$è¾