
BY_gradJþh?½i?pA½>æ²X?