
BB_gradJÄFÀ hH>˜»å?´\»À