
BBJBn@øCž>•xU¾óÔ¾