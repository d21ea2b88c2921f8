
BYJHO2?k	}?