
BBJ4ÂU¿†P>mF`¿úß¾cÑB¿d³¿