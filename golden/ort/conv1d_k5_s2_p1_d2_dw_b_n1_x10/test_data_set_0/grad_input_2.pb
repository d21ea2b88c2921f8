
BB_gradJnn?~õ?‹hød§ã>†vﬁΩNì?