
BB_gradJCœ©?ê;ù?ÿæyM@