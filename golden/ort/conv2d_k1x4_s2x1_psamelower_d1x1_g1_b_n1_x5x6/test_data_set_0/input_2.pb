
BBJA6„¾žƒs>Fj`¿mŽ?