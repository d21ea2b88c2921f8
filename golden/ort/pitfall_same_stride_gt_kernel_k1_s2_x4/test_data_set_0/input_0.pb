
BXJ aÒa¾L&m¾Ve%?uðt¿xU¾Õ¶¿Øç½{m+?