
BB_gradJB:ְשׁ>xÿ{¾=סa@ׁfֵ?p׃#?