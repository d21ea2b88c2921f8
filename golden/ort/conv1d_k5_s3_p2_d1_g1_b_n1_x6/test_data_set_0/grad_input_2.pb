
BB_gradJPç6¿¸Æd¾b«¾?*A?