
BB_gradJŠ„gÀn³°@ôÀ®ŸVÀ…Áj%dÁ