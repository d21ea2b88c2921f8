
BB_gradJ?R@ÔÖ¿ZİÌÀürd@