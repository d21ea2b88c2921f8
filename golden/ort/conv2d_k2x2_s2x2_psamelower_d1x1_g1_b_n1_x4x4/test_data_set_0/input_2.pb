
BBJnGd=_Ãq>ÙÑ†=^gê¾